"""The demo bureau (江城市公安局): exports its systems would write, loaded by the real loader.

`python -m demo` builds the demo warehouse and its demo accounts; demo.bureau composes the records,
demo.templates holds the names and text templates (data in demo/texts/*.json). The loader (etl)
never imports this package: the demo is a client of the loader and of auth, like an upload is.
"""
