spawn P
P map A 4 rwx
P exec A 0-3
expect P minflt == 4
