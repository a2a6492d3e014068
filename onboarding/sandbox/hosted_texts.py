"""The words of the hosted payment page in Arabic, French and English.

The sandbox runs without Django, so its page carries its own small catalogue instead of gettext.
French puts a narrow no-break space (U+202F) before ":".
"""

from __future__ import annotations

LANGUAGES = ("ar", "fr", "en")
LANGUAGE_NAMES = {"ar": "العربية", "fr": "Français", "en": "English"}

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Pay {merchant}",
        "sandbox": "Test page of the payment sandbox: no real money moves.",
        "amount": "Amount",
        "for": "For",
        "choose": "Choose a test card or wallet",
        "card": "Card",
        "wallet": "Mobile wallet",
        "4242424242424242": "the payment goes through",
        "4000000000000002": "the bank refuses",
        "4000000000000259": "paid, then disputed by the bank",
        "4000000000003220": "the bank asks for a code ({secure})",
        "wallet_succeeds": "the payment goes through",
        "wallet_declined": "refused, not enough money",
        "pay": "Pay {amount}",
        "cancel": "Cancel and go back to the shop",
        "pick_one": "Choose one of the cards or wallets.",
        "challenge_title": "Confirm with your bank",
        "challenge_help": "Type the code your bank sent you. In the sandbox the code is 123456.",
        "code": "Code",
        "confirm": "Confirm",
        "ended": "This payment is finished.",
        "succeeded": "The payment went through.",
        "failed": "The payment was refused.",
        "expired": "This payment page has expired.",
        "back": "Go back to the shop",
        "missing": "This payment page does not exist.",
        "currency": "MAD",
        "languages": "Language",
    },
    "fr": {
        "title": "Payer {merchant}",
        "sandbox": "Page de test du bac à sable de paiement\u202f: aucun argent réel ne circule.",
        "amount": "Montant",
        "for": "Pour",
        "choose": "Choisissez une carte ou un portefeuille de test",
        "card": "Carte",
        "wallet": "Portefeuille mobile",
        "4242424242424242": "le paiement passe",
        "4000000000000002": "la banque refuse",
        "4000000000000259": "payé, puis contesté par la banque",
        "4000000000003220": "la banque demande un code ({secure})",
        "wallet_succeeds": "le paiement passe",
        "wallet_declined": "refusé, solde insuffisant",
        "pay": "Payer {amount}",
        "cancel": "Annuler et revenir à la boutique",
        "pick_one": "Choisissez une des cartes ou un des portefeuilles.",
        "challenge_title": "Confirmez avec votre banque",
        "challenge_help": "Tapez le code envoyé par votre banque. Dans le bac à sable, le code "
        "est 123456.",
        "code": "Code",
        "confirm": "Confirmer",
        "ended": "Ce paiement est terminé.",
        "succeeded": "Le paiement est passé.",
        "failed": "Le paiement a été refusé.",
        "expired": "Cette page de paiement a expiré.",
        "back": "Revenir à la boutique",
        "missing": "Cette page de paiement n’existe pas.",
        "currency": "MAD",
        "languages": "Langue",
    },
    "ar": {
        "title": "الدفع لـ {merchant}",
        "sandbox": "صفحة تجربة: لا يتحرك فيها مال حقيقي.",
        "amount": "المبلغ",
        "for": "مقابل",
        "choose": "اختر بطاقة أو محفظة للتجربة",
        "card": "بطاقة",
        "wallet": "محفظة الهاتف",
        "4242424242424242": "الدفع ينجح",
        "4000000000000002": "البنك يرفض",
        "4000000000000259": "مدفوع، ثم يعترض عليه البنك",
        "4000000000003220": "البنك يطلب رمز تحقق ({secure})",
        "wallet_succeeds": "الدفع ينجح",
        "wallet_declined": "مرفوض، المال غير كافٍ",
        "pay": "ادفع {amount}",
        "cancel": "إلغاء والرجوع إلى المتجر",
        "pick_one": "اختر بطاقة أو محفظة واحدة.",
        "challenge_title": "أكّد الدفع مع البنك",
        "challenge_help": "اكتب الرمز الذي أرسله لك البنك. في صفحة التجربة الرمز هو 123456.",
        "code": "الرمز",
        "confirm": "تأكيد",
        "ended": "هذا الدفع انتهى.",
        "succeeded": "تم الدفع بنجاح.",
        "failed": "تم رفض الدفع.",
        "expired": "انتهت صلاحية صفحة الدفع هذه.",
        "back": "الرجوع إلى المتجر",
        "missing": "صفحة الدفع هذه غير موجودة.",
        "currency": "درهم",
        "languages": "اللغة",
    },
}


def choose_language(asked: str | None, accept_language: str | None) -> str:
    """``asked`` (the ``lang`` parameter) if known, else the first known of Accept-Language."""
    if asked in LANGUAGES:
        return str(asked)
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "en"


def money(amount_minor: int, language: str) -> str:
    """``1 234,50 درهم`` / ``1 234,50 MAD`` / ``MAD 1,234.50``, as HTML: the number is kept
    left to right inside Arabic."""
    whole, cents = divmod(amount_minor, 100)
    if language == "en":
        return f"MAD\u00a0{whole:,}.{cents:02d}"
    grouped = f"{whole:,}".replace(",", "\u202f")
    return f'<bdi dir="ltr">{grouped},{cents:02d}</bdi>\u00a0{TEXTS[language]["currency"]}'
