config policy=lfu
config mute=1
