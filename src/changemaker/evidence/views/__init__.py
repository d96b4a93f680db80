"""The evidence capability's pages, by audience: public.py (the practice library, anyone),
staff.py (the pilot register) and staff_data.py (outcome data, analyses and ratings)."""
