"""The ipywidgets panels that people click: the what-if panel and the adjustments desk
(served as pages by Voilà).

May import every stage before it, publishing included (its charts and fonts);
nothing but the command line is above it.
"""
