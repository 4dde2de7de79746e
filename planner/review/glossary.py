"""A small bilingual glossary of the program's domain terms: Russian and English words that name one concept.

Duplicate detection compares proposals by concept, so that `испытания` meets `tests` and `БАС` meets
`UAV` and `drone`. The words come from the demo scenario's titles and competencies and from the
domains' common vocabulary (unmanned aviation, GaN transistors, forestry and firefighting machines,
dairy, implants, trolleybuses); extend it when a program brings new words. Each line is a concept and
its words (single words, no hyphens) in any inflected form; they are matched as written and by their Snowball stem. A stem that
two concepts share (`летн`: лётные and летние) is matched only by the exact words.

CONTRASTS are groups of terms that set work apart: two proposals that each name a different member
(winter and summer trials, clinical and preclinical) describe different work however alike the rest is.
"""

from __future__ import annotations

from functools import lru_cache

import snowballstemmer

CONCEPTS: dict[str, str] = {
    # unmanned aviation
    "uav": "бас бпла бла беспилотник беспилотника беспилотный беспилотного беспилотных беспилотное дрон дрона "
    "uav uavs uas drone drones unmanned rpas",
    "aircraft": "летательный летательных летательного самолет самолетного самолетный aircraft airplane aviation "
    "авиационный авиационной авиация",
    "heavy": "тяжелый тяжелого тяжелых тяжелая heavy",
    "helicopter": "вертолет вертолетного вертолетный helicopter rotorcraft",
    "flight": "полет полета полетов полетом летные летных летного летный летные flight flights flying",
    "control": "контроллер контроллера управление управления управлением автопилот автопилота "
    "control controller controllers autopilot",
    "onboard": "бортовой бортового бортовая бортовые бортовом onboard airborne",
    "ground": "наземная наземной наземные наземный ground",
    "station": "станция станции станций station stations",
    "airframe": "планер планера airframe airframes",
    "payload": "нагрузка нагрузки нагрузку payload payloads",
    "thermal": "тепловизор тепловизионный тепловизионных тепловизионные инфракрасный ик тепловой теплового "
    "термостатирование терморегулирование терморегулирования подогрев подогрева нагрев "
    "thermal infrared ir heat heating heater",
    "camera": "камера камеры камерой camera cameras",
    "gimbal": "подвес подвеса гиростабилизированный стабилизированный стабилизированной gimbal stabilised stabilized",
    "detection": "обнаружение обнаружения распознавание распознавания detection detecting recognition",
    "monitoring": "мониторинг мониторинга наблюдение наблюдения monitoring surveillance observation",
    "link": "радиолиния радиолинии радиоканал канал канала каналов связь связи линия линии "
    "link links datalink channel channels communication communications",
    "secure": "защищенная защищенный защищенной помехозащищенный помехоустойчивый помехоустойчивая "
    "шифрование шифрованием secure encrypted encryption jam",
    "antenna": "антенна антенн антенная антенны antenna antennas",
    "satellite": "спутниковый спутниковой спутниковым спутниковые спутниковых спутник satellite satcom",
    "sight": "видимости видимость sight visual",
    "certification": "сертификация сертификации сертификат certification certificate certify",
    "type": "тип типа type",
    "evidence": "доказательная доказательный доказательств evidence compliance",
    "approval": "допуск допуска approval clearance admission permit",
    "operator": "оператор операторов оператора эксплуатант эксплуатанта operator operators",
    "prototype": "опытный опытного опытная опытные образец образца прототип prototype prototypes pilot",
    "range": "полигон полигоне полигона range proving",
    "bench": "стенд стендовые стендовых стенде bench rig",
    "simulator": "тренажер тренажера симулятор simulator simulators",
    "training": "обучение обучения подготовка подготовки training courses",
    "lidar": "лидар лидарная лидарной лидарный lidar laser",
    "survey": "съемка съемки survey surveying imaging",
    "inventory": "таксация таксации inventory",
    # transistors and microelectronics
    "transistor": "транзистор транзистора транзисторов транзисторы transistor transistors",
    "hemt": "hemt hemts",
    "gan": "gan галлия галлиевых галлиевый",
    "nitride": "нитрид нитридных нитридом нитрида nitride nitrides",
    "carbide": "карбид карбида карбиде carbide",
    "silicon": "кремний кремния кремнии кремнием silicon",
    "heterostructure": "гетероструктура гетероструктуры гетероструктур heterostructure heterostructures",
    "epitaxy": "эпитаксия эпитаксии эпитаксиальный эпитаксиальных эпитаксиальные epitaxy epitaxial mocvd",
    "growth": "рост роста ростом growth growing",
    "substrate": "подложка подложки подложках подложке substrate substrates",
    "plate": "пластина пластины пластин пластинные plate plates wafer wafers",
    "microwave": "свч микроволновый microwave rf",
    "band": "диапазон диапазона диапазонов band bands",
    "gate": "затвор затвора затворов gate gates",
    "passivation": "пассивация пассивации passivation",
    "contact": "контакт контакты контактов contact contacts",
    "ohmic": "омические омических омический ohmic",
    "process": "технологический технологического технологические технологических технологическая технологии "
    "процесс процесса маршрут маршрута process processes flow",
    "technology": "технология технологию technology technologies",
    "module": "модуль модули модулей module modules",
    "package": "корпус корпуса корпусов корпусирование package packages packaging housing",
    "ceramic": "металлокерамический металлокерамические керамический керамические ceramic ceramics",
    "heatsink": "теплоотвод теплоотвода теплораспределитель теплораспределители heatsink spreader",
    "reliability": "надежность надежности долговечность долговременной долговременная наработка "
    "reliability lifetime durability",
    "failure": "отказ отказа отказов failure failures mtbf",
    "accelerated": "ускоренные ускоренных ускоренный accelerated",
    "test": "испытания испытаний испытание испытаниях испытательный тестирование тест тесты "
    "test tests testing trial trials",
    "temperature": "температура температуре температуры температурный temperature elevated",
    "radiation": "радиационный радиационную радиационная радиационной радиация излучение излучения radiation",
    "hardness": "стойкость стойкости hardness tolerance",
    "space": "космический космических космоса spacecraft space",
    "aerospace": "аэрокосмический аэрокосмической аэрокосмос aerospace",
    "device": "приборный приборно прибор приборов устройство устройства device devices",
    "model": "модель модели моделирование моделирования моделированию model models modelling modeling "
    "simulation simulations",
    "cad": "сапр cad eda",
    "circuit": "схема схем схемы схемотехника circuit circuits",
    "mmic": "мис mmic mmics",
    "integrated": "интегральный интегральных интегральная integrated",
    "integration": "интеграция интеграции встраивание встраивания integration integrating",
    "assessment": "оценка оценки evaluation assessment estimate",
    "switch": "ключ ключей ключи switch switches",
    "driver": "драйвер драйверы драйверов driver drivers",
    "electronics": "электроника электроники электронный электронной электронного электронным electronic electronics",
    "power": "мощность мощности мощный мощных мощного мощные силовой силовая силовые силовых силовой power",
    "amplifier": "усилитель усилителя усилители усилителей amplifier amplifiers",
    "lownoise": "малошумящий малошумящего малошумящие малошумящая lna noise",
    "receiver": "приемный приемного приемник приемника receiver rx",
    "radar": "рлс радиолокатор радиолокатора радиолокационной радиолокационный radar radars",
    # forestry machines
    "forest": "лес леса лесов лесной лесного лесных лесная лесные лесу forest forests forestry woodland",
    "logging": "лесозаготовительный лесозаготовительных лесозаготовительной лесозаготовительная "
    "лесозаготовительные лесозаготовка лесосека лесосеках лесосек logging timber",
    "harvester": "харвестер харвестера харвестерной харвестерная харвестерную харвестеры harvester harvesters",
    "forwarder": "форвардер форвардера форвардеры forwarder forwarders",
    "skidder": "трелевочный трелевочного трелевочных skidder skidders",
    "machine": "машина машины машин машинах машиной machine machines machinery",
    "adaptation": "адаптация адаптации доработка доработки модификация модификации adaptation adapting adapt "
    "modification modifications",
    "siberia": "сибирь сибири сибирских сибирский сибирские siberia siberian",
    "cold": "холодный холодного холод мороз морозов морозы морозах cold frost",
    "winter": "зимний зимние зимних зимой зима зимнее зимняя winter",
    "summer": "летний летние летних летом лето летнее summer",
    "start": "пуск пуска запуск start starting",
    "undercarriage": "ходовая ходовой ходовую undercarriage",
    "soil": "грунт грунтов грунтах грунте почва soil soils",
    "wetland": "заболоченный заболоченных заболоченной заболоченным заболоченной болото болотах "
    "wetland wetlands swamp marsh boggy",
    "hydraulics": "гидравлика гидравлики гидравлический гидравлическая hydraulics hydraulic",
    "head": "головка головкой головки head heads",
    "crane": "кран манипулятор манипулятора crane loader boom",
    "winch": "лебедка лебедки winch",
    "hybrid": "гибридный гибридным гибридная гибридной гибридного hybrid",
    "drive": "привод привода приводом полноприводное полноприводный полноприводного трансмиссия "
    "drive drives powertrain transmission",
    "diesel": "дизель дизельный diesel",
    "motor": "двигатель двигателя электродвигатель электродвигатели электродвигателями motor motors engine engines",
    "service": "сервис сервисная сервисной сервисный сервисные обслуживание обслуживания service servicing maintenance",
    "network": "сеть сети network networks",
    "documentation": "документация документации руководство руководства инструкция manual manuals documentation",
    "operation": "эксплуатация эксплуатации эксплуатационный эксплуатационная эксплуатационной "
    "operation operating operational",
    "lineup": "модельный модельного lineup",
    "cab": "кабина кабины кабине cab cabin",
    "comfort": "комфорт комфорта удобство comfort ergonomics",
    # firefighting vehicles
    "fire": "пожар пожара пожаров пожарный пожарного пожарной пожарная пожарные пожарных возгорание возгорания "
    "очаг очагов огонь пожаротушение пожаротушения тушение тушения пожароопасный пожароопасного "
    "пожароопасности fire fires wildfire wildfires firefighting firefighter suppression extinguishing",
    "truck": "автомобиль автомобиля автомобилей грузовик truck trucks lorry",
    "vehicle": "транспортное транспортного транспортных vehicle vehicles",
    "chassis": "шасси chassis",
    "body": "кузов кузова кузовной надстройка надстройки body bodies superstructure",
    "tank": "цистерна цистерны цистерн бак бака резервуар tank tanks tanker",
    "composite": "композит композитный композитного композитная композитные композитных композитов "
    "углепластик углепластика стеклопластик стеклопластика composite composites cfrp gfrp fibre fiber",
    "pump": "насос насоса насосная насосной pump pumps pumping",
    "foam": "пена пены пенный пеногенератор foam",
    "pressure": "давления давление pressure",
    "water": "вода воды водяной водосливное водосливного water",
    "spread": "распространение распространения распространении spread propagation",
    "forecast": "прогноз прогноза прогнозирование forecast forecasting prediction",
    "danger": "опасность опасности hazard danger risk",
    "map": "карта карты карту map maps mapping",
    "season": "сезон сезона сезонный season seasonal",
    "dispatch": "выезд выездов диспетчерская диспетчерской диспетчер dispatch dispatching",
    "planning": "планирование планирования planning",
    "weather": "метеоданным метеоданные метеоданных метео погода weather meteorological",
    "mobility": "проходимость проходимости",
    "crew": "экипаж экипажа crew",
    "protection": "защита защиты защитой protection shield",
    # dairy
    "milk": "молоко молока молочный молочной молочные молочных молочного молоковоз молоковозов молоковозы dairy milk",
    "whey": "сыворотка сыворотки сывороточный сывороточных сывороточного сывороточные whey",
    "protein": "белок белков белка белковый protein proteins",
    "cheese": "сыр сыры сыров cheese",
    # implants and rehabilitation
    "implant": "имплантат имплантаты имплантатов имплантата имплант implant implants",
    "titanium": "титан титановый титановые титановых титана titanium",
    "porous": "пористый пористые пористого пористых пористая porous porosity",
    "coating": "покрытие покрытия покрытий покрытиями coating coatings",
    "calcium": "кальций кальция calcium",
    "phosphate": "фосфат фосфатными фосфатный фосфатных фосфатные phosphate phosphates",
    "oxidation": "оксидирование оксидирования оксидный oxidation oxidising oxidizing anodising anodizing",
    "biodegradable": "биодеградируемые биодеградируемых биодеградируемый рассасывающиеся рассасывающихся "
    "резорбируемые biodegradable resorbable bioresorbable absorbable",
    "fixation": "фиксирующие фиксирующих фиксация фиксации остеосинтез остеосинтеза fixation osteosynthesis",
    "vessel": "сосуд сосудов сосудистый сосудистые vascular vessel vessels",
    "magnesium": "магниевые магниевый магниевых магний magnesium",
    "prosthesis": "эндопротез эндопротеза протез протеза протезов endoprosthesis prosthesis prostheses replacement",
    "hip": "тазобедренный тазобедренного hip",
    "joint": "сустав сустава joint",
    "silver": "серебро серебросодержащие серебряный серебра silver",
    "custom": "индивидуальный индивидуальные индивидуальных персонализированный персонализированных "
    "custom personalised personalized individual",
    "patient": "пациент пациента пациентов patient patients",
    "printing": "печать печати аддитивный аддитивное аддитивного printing printed additive print",
    "manufacturing": "производство производства изготовление изготовления manufacturing production fabrication",
    "design": "проектирование проектирования конструирование конструкция конструкции design designing",
    "ct": "кт ct tomography томография",
    "surgical": "хирургический хирургических хирургия surgical surgery",
    "guide": "шаблон шаблонов направляющие guide guides template templates",
    "orthosis": "ортез ортезы ортезов orthosis orthoses",
    "active": "активный активные активных powered active motorised motorized",
    "hand": "кисть кисти hand",
    "preclinical": "доклинический доклинические доклинических доклиническое preclinical",
    "clinical": "клинический клинические клинических клиническое clinical",
    "dossier": "досье dossier",
    "rules": "правила правилам правил rules regulations",
    "eaeu": "еаэс eaeu eeu eurasian",
    # trolleybuses
    "trolleybus": "троллейбус троллейбуса троллейбусов троллейбусный троллейбусы trolleybus trolleybuses",
    "battery": "батарея батарей батареи аккумулятор аккумуляторов аккумуляторная battery batteries",
    "traction": "тяговый тяговых тяговые тяговая traction",
    "charging": "зарядный зарядная зарядной зарядки подзарядка подзарядкой charging charger",
    "depot": "депо depot depots",
    "substation": "подстанция подстанции substation substations",
    "autonomous": "автономный автономного автономным автономная autonomous",
}
"""Concept → its words in Russian and English (any inflected form, separated by spaces)."""

CONTRASTS: tuple[frozenset[str], ...] = (
    frozenset({"~winter", "~summer"}),
    frozenset({"~preclinical", "~clinical"}),
    frozenset({"~harvester", "~forwarder", "~skidder"}),
    frozenset({"~power", "~lownoise"}),
    frozenset({"~onboard", "~ground"}),
    frozenset({"x", "ku", "ka"}),  # frequency bands
)
"""Groups of terms that set work apart: proposals naming different members describe different work."""

_RU = snowballstemmer.stemmer("russian")
_EN = snowballstemmer.stemmer("english")


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Exact words, Russian stems and English stems → concept; a stem two concepts share is left out."""
    exact: dict[str, str] = {}
    stems: dict[str, dict[str, set[str]]] = {"ru": {}, "en": {}}
    for concept, text in CONCEPTS.items():
        for raw in text.split():
            word = raw.lower().replace("ё", "е")
            exact.setdefault(word, concept)
            russian = any("а" <= ch <= "я" for ch in word)
            stem = (_RU if russian else _EN).stemWord(word)
            stems["ru" if russian else "en"].setdefault(stem, set()).add(concept)
    ru = {s: next(iter(c)) for s, c in stems["ru"].items() if len(c) == 1}
    en = {s: next(iter(c)) for s, c in stems["en"].items() if len(c) == 1}
    return exact, ru, en


def concept_of(word: str, stem: str, *, russian: bool) -> str | None:
    """The concept a word names (`~name`), by the word as written, else by its stem; None if not in the glossary."""
    exact, ru, en = _tables()
    found = exact.get(word) or (ru if russian else en).get(stem)
    return f"~{found}" if found else None
