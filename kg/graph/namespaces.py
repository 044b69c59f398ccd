"""The vocabularies zonekg speaks, as rdflib namespace objects.

Every IRI of the ontology is reached through :class:`KG`; instance IRIs are minted
under :data:`ID`. No other module spells an IRI out as a string.
"""
from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

# Instances (zones, enterprises, documents ...) live under this base.
ID = Namespace("https://w3id.org/zonekg/id/")

# Vocabularies the ontology aligns with.
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")


class KG(DefinedNamespace):
    """The zonekg ontology (``ontology/zonekg.ttl``)."""

    _NS = Namespace("https://w3id.org/zonekg/ontology#")
    _fail = True

    # Entity classes: each extracted entity has exactly one of these seven.
    Zone: URIRef
    Park: URIRef
    Enterprise: URIRef
    Project: URIRef
    IndustryChain: URIRef
    IndustryCluster: URIRef
    Place: URIRef
    # Value and source classes.
    MonetaryAmount: URIRef
    Document: URIRef
    Evidence: URIRef  # a reified fact with the sentence that states it

    # Relations between entities.
    hosts: URIRef
    hasPark: URIRef
    hasChain: URIRef
    hasCluster: URIRef
    locatedIn: URIRef
    operatedBy: URIRef
    invests: URIRef
    # Administrative divisions: a Place's GB/T 2260 code (its parent is schema:containedInPlace).
    divisionCode: URIRef
    # Money.
    amount: URIRef
    currency: URIRef
    # Provenance.
    mentionedIn: URIRef
    evidenceText: URIRef
    startOffset: URIRef
    endOffset: URIRef
    inDocument: URIRef
    fileName: URIRef
    contentHash: URIRef

    # Analysis results (kg analyze, out/analysis.ttl): detected industrial-chain
    # clusters and the industry each entity was assigned to.
    ChainCluster: URIRef
    Industry: URIRef
    memberOf: URIRef
    inIndustry: URIRef
    clusterIndustry: URIRef
    spansZone: URIRef


ENTITY_CLASSES: dict[str, URIRef] = {
    "Zone": KG.Zone,
    "Park": KG.Park,
    "Enterprise": KG.Enterprise,
    "Project": KG.Project,
    "IndustryChain": KG.IndustryChain,
    "IndustryCluster": KG.IndustryCluster,
    "Place": KG.Place,
}

RELATIONS: dict[str, URIRef] = {
    "hosts": KG.hosts,
    "hasPark": KG.hasPark,
    "hasChain": KG.hasChain,
    "hasCluster": KG.hasCluster,
    "locatedIn": KG.locatedIn,
    "operatedBy": KG.operatedBy,
    "invests": KG.invests,
}

# Kinds of instance IRI: ID["zone/…"], ID["enterprise/…"] … and their Turtle prefixes.
INSTANCE_KINDS = ("zone", "park", "enterprise", "project", "chain", "cluster", "place", "amount", "doc", "evidence")

PREFIXES: dict[str, Namespace] = {
    "kg": Namespace(str(KG._NS)),
    "id": ID,
    **{kind: Namespace(f"{ID}{kind}/") for kind in INSTANCE_KINDS},
    "schema": SCHEMA,
    "org": ORG,
}
