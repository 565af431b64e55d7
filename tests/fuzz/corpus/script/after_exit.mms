spawn P
P exit
P map A 1
