/*
 * kernel/config.h: the machine settings' keys (config.c): the one table that
 * mmsim_config_set() accepts and mmsim_names(MMSIM_NAMES_CONFIG_KEYS) lists.
 */
#ifndef MMSIM_KERNEL_CONFIG_H
#define MMSIM_KERNEL_CONFIG_H

extern const char *const config_keys[];
extern const unsigned int config_nr_keys;

#endif
