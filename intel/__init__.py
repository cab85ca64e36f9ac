"""Text intelligence: what Minyi works out from the texts themselves.

Classification and routing (predicted category and handling unit, routing rules, the simulator)
and repeated complaints, hot topics, distinctive words and reply screening. The package imports
only `queries` and libraries: the loader calls it at load time and the pages call it for the
simulator; whatever it infers is written through the loader's one write path, never by a page.
"""
