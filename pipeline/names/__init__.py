"""Names: organizations (gazetteer, suffix rules, GiNZA NER corrected) and people."""
