"""The financial desk checks the core's codes (case.intake for a bank's own submissions, masterdata.change
for the centre managing the banks' keys, case.view to read), under grants limited to a bank or not:
it declares no code of its own."""

PERMISSIONS: dict = {}
