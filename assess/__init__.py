"""考核评分: an assessment scheme kept as configuration (scheme.py, store.py), every unit's figures
for a period from the named metric queries (values.py), and its score, rank within its type and
breakdown (score.py). Used by pages/assessment.py; imports etl (the configuration store) and
libraries, never pages or auth."""
