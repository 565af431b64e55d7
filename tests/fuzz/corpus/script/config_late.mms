spawn P
config mem=1G
