"""What papers claim: claim types (``theory.claim``) and the catalogue (``theory/claims``)."""
