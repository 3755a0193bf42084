"""Customer economics on screen: monthly history, credit, basic-charge advice, arrears."""
