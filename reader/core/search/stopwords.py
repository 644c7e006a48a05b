"""Stop words per language, already folded (lower case, no accents).

Stop words are indexed (phrases need them) but a bag-of-words query drops a
word when it is a stop word in any language the query is analysed for
(quote it to search it: ``"but"``). The French lists include the elided forms (``l``, ``qu``, ``jusqu``...)
that the tokenizer splits off at an apostrophe.
"""

from __future__ import annotations

FRENCH: frozenset[str] = frozenset(
    """
    a ai aie aient aies ait as au aucun aucune aupres aussi autre autres aux avait avaient
    avais avait avec avoir ayant c ca ce ceci cela celle celles celui cependant ces cet cette
    ceux chaque chez ci comme comment d dans de des donc dont du elle elles en encore entre
    es est et etaient etais etait etant ete etes etre eu eue eues eurent eus eut eux fait
    fois font furent fut ici il ils j je jusqu l la le les leur leurs lorsqu lui m ma mais
    me meme memes mes moi mon n ne ni nos notre nous on ont ou par parce pas peu peut plus
    pour pourquoi puis puisqu qu quand que quel quelle quelles quels qui quoi s sa sans se
    sera seront ses si sien soi soit sommes son sont sous suis sur t ta te tes toi ton tous
    tout toute toutes tres tu un une unes uns vers voici voila vos votre vous y
    """.split()
)

ENGLISH: frozenset[str] = frozenset(
    """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could d did do does doing don down during each few
    for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just ll m me more most my myself no nor not now of off on once
    only or other our ours ourselves out over own re s same she should so some such t than
    that the their theirs them themselves then there these they this those through to too
    under until up ve very was we were what when where which while who whom why will with
    would you your yours yourself yourselves
    """.split()
)

BY_LANG: dict[str, frozenset[str]] = {"fr": FRENCH, "en": ENGLISH}
