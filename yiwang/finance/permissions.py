"""The financial desk checks the core's codes under grants limited to a bank or not: case.intake for a
bank's own submissions, masterdata.change for the centre managing the banks' keys, case.route for the
centre reading the batches. It declares no code of its own."""

PERMISSIONS: dict = {}
