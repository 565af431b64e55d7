spawn P
P map A 4 q
