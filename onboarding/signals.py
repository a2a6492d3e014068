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

# Emitted when a stored payment, refund or dispute webhook (payment.succeeded, payment.failed,
# refund.succeeded, dispute.created, dispute.updated, dispute.closed) is processed in a worker,
# by onboarding.account_updates.process_webhook. Onboarding knows nothing of what was paid for:
# the app that opened the payment applies it, by fetching the session, refund or dispute again
# from the provider (the event is only a hint). It may be sent more than once for one event (a
# retry, a worker that died), and events come in any order.
# Arguments:
#   event: the onboarding.providers.payment_sessions.PaymentEvent, read from the stored webhook
# A receiver returns None when the event is not about its own payments, True once applied, and
# False when it could not be applied yet (the provider did not answer): the event then stays
# unprocessed and is tried again later.
payment_event_received = Signal()
