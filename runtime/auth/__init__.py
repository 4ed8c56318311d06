"""Who is calling, and what their role lets them do: API keys, OAuth2 client-credential tokens, guards."""
