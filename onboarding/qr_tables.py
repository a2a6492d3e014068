"""What a seller's QR code says about her trade and town, from what her application says.

Merchant category codes are ISO 18245's, chosen for what a buyer pays the craft for; a craft is
looked up by its own code, then by its chain's, and is ``5999`` (miscellaneous retail) when
neither is known. ``ONBOARDING_MERCHANT_CATEGORY_CODES`` overrides or extends them.
"""

from __future__ import annotations

MISCELLANEOUS_RETAIL = "5999"

MERCHANT_CATEGORY_CODES = {
    # chains of the starter list
    "textile": "5949",  # sewing, needlework, fabric and piece goods
    "leather": "5948",  # luggage and leather goods
    "wood": "5947",  # gift, card, novelty and souvenir shops
    "metal": "5719",  # miscellaneous home furnishing specialty stores
    "pottery-ceramics": "5719",
    "plant-fibres": "5719",
    "traditional-building": "1740",  # masonry, stonework, tile setting, plastering
    "jewellery": "5944",  # jewelry, watch, clock and silverware stores
    "clothing": "5699",  # miscellaneous apparel and accessory shops
    "hair-beauty": "7230",  # beauty and barber shops
    "repair-maintenance": "7699",  # miscellaneous repair shops
    "food": "5462",  # bakeries
    "building-services": "1799",  # special trade contractors
    # crafts that differ from their chain
    "carpet-weaving": "5713",  # floor covering stores
    "babouche-making": "5661",  # shoe stores
    "traditional-joinery": "5712",  # furniture
    "traditional-tailoring": "5697",  # tailors, seamstresses, mending and alterations
    "caftan-making": "5691",  # men's and women's clothing stores
    "djellaba-making": "5691",
    "beauty-care": "7298",  # health and beauty spas
    "hammam-care": "7298",
    "car-mechanics": "7538",  # automotive service shops
    "phone-repair": "7622",  # electronics repair shops
    "appliance-repair": "7629",  # electrical and small appliance repair
    "shoe-repair": "7251",  # shoe repair and hat cleaning
    "watch-repair": "7631",  # watch, clock and jewelry repair
    "traditional-cooking": "5811",  # caterers
    "butchery": "5422",  # meat provisioners
    "plumbing": "1711",  # heating, plumbing and air-conditioning contractors
    "electrical-work": "1731",  # electrical contractors
}

# The application asks for a region, not a town: the code names the region's seat, in Latin
# letters (at most 15) and in Arabic. Keys are the regions' stored (untranslated) names.
REGION_SEATS = {
    "Tanger-Tétouan-Al Hoceïma": ("Tanger", "طنجة"),
    "L’Oriental": ("Oujda", "وجدة"),
    "Fès-Meknès": ("Fes", "فاس"),
    "Rabat-Salé-Kénitra": ("Rabat", "الرباط"),
    "Béni Mellal-Khénifra": ("Beni Mellal", "بني ملال"),
    "Casablanca-Settat": ("Casablanca", "الدار البيضاء"),
    "Marrakech-Safi": ("Marrakech", "مراكش"),
    "Drâa-Tafilalet": ("Errachidia", "الرشيدية"),
    "Souss-Massa": ("Agadir", "أكادير"),
    "Guelmim-Oued Noun": ("Guelmim", "كلميم"),
    "Laâyoune-Sakia El Hamra": ("Laayoune", "العيون"),
    "Dakhla-Oued Ed Dahab": ("Dakhla", "الداخلة"),
}
