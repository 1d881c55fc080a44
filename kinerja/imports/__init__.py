"""File imports: the roster (people and units) and service requests, parsed then applied."""
