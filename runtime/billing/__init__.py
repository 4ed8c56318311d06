"""The billing boundary of order completion.

Today it only records when each subscription starts (`subscription_start`); the billing issue will fill
`start_billing` (first bill cycle, proration, charges) behind the same signature.
"""
