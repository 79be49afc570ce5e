"""yiwang (一网): software for a county's social governance centre and the centres under it."""
