"""The designer: a Reflex web app in which product managers build, check and publish offers."""
