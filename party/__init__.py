"""The party (issue #9; its own app since issue #16): organisations, members, organisation life and 双报到."""
