spawn P # café
P map A 1
é
