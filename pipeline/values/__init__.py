"""Value taggers: numbers, money, counts, dates. Pure functions over NFKC-normalized text."""
