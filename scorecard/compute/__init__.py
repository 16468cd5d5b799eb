"""Pure computation: facts about initiatives as of a month. No I/O, no clock."""
