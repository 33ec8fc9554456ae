"""Packs others can load: a rule pack's catalogue as an OSCAL catalog (and its crosswalks as an
OSCAL mapping collection), or as a CISO Assistant library. Built from the rule pack and the
crosswalk data only; nothing from a checked repository."""
