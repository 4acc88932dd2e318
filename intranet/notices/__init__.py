"""One-stop-shop notices about staff, and the heads' appraisal decisions on them."""
