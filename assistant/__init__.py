"""goedwerk: a reflection assistant for grenswerkers (beelden van goed werk in samenwerking)."""

__version__ = "0.1.0"
