"""The manager's field work: visit plans, visit logs and referrals to the back office (no Qt)."""
