"""The evidence capability's pages, by audience: public.py (the practice library and the
pooled outcomes, anyone), public_feeds.py (the signed feeds and the public key), staff.py (the
pilot register and its Evaluation Registry export), staff_data.py (outcome data, analyses and
ratings) and staff_sharing.py (subscriptions to other councils' feeds)."""
