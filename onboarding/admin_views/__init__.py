"""Wagtail admin for operators: the case list (:mod:`.cases`), the case page
(:mod:`.case_page`), the actions an operator takes on a case (:mod:`.actions`) and the funnel
report (:mod:`.funnel_report`).

Personal data (national ID, phone) is shown masked and never exported.
"""
