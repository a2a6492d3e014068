from django.dispatch import Signal

# Emitted when an onboarding case changes state: once per change, after the transaction that
# wrote it has committed (never for a change that was rolled back), and once when a case is
# opened. Sent by onboarding.statemachine (transition, record_opening).
# Arguments:
#   case: the OnboardingCase, as it was just after the change
#   from_state: the state it left ("" when the case was just opened)
#   to_state: the state it entered
#   transition: the CaseTransition row that records the change
case_state_changed = Signal()

# Emitted once an applicant's personal data has been erased (onboarding.erasure), after the
# commit, so that what keeps a copy of it (the marketplace's published photo) deletes it too.
# Arguments:
#   case_id: the id of the case whose applicant was erased
applicant_erased = Signal()
