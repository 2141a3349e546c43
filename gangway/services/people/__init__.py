"""People, badges, cards, crew changes, groups, photos and the watch list."""
