# Benchmarks: each bench/bench_*.c is a program that prints its figures. `make bench` runs
# them all. Never part of `make test`.
file(GLOB MMSIM_BENCHES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/bench/bench_*.c)
set(MMSIM_BENCH_TARGETS "")
foreach(b ${MMSIM_BENCHES})
  get_filename_component(name ${b} NAME_WE)
  add_executable(${name} EXCLUDE_FROM_ALL ${b} ${PROJECT_SOURCE_DIR}/bench/bench_util.c)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/bench)
  target_link_libraries(${name} PRIVATE mmsim_static)
  list(APPEND MMSIM_BENCH_TARGETS ${name})
endforeach()
if(MMSIM_BENCH_TARGETS)
  add_custom_target(benches DEPENDS ${MMSIM_BENCH_TARGETS})
endif()
