spawn P
P map A 4
P write A 9-3
