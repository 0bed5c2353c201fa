package sqlstore

// SweepEvery is sweepEvery, for the retention tests.
const SweepEvery = sweepEvery
