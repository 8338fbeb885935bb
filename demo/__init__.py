"""Demo data: the five seed strategies in their own words, demo people and
generated, clearly labelled figures, loaded by ``python manage.py load_demo``.

The loader is ``demo.loader.demo_load``; each seed has its own module. The
app has no models: it only writes the other apps' rows, so that the apps it
fills never import it.
"""
