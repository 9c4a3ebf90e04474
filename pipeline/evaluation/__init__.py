"""Accuracy on real text and on our own gold: one module per kind of suite.

`news` scores the tables of an extract against article gold (entities and events), `stockmark`
scores name spans in Wikipedia sentences, `peers` runs the peers' own test cases, and `run` is
`make eval`. Every suite writes `errors.tsv` (`metrics.ErrorRow`), the file to read first.
"""
