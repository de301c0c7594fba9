"""Swedish text banks for the synthetic agreements of the benchmark.

Written for this project: plausible sentences of the kind a kommun and the
Police write in a samverkansöverenskommelse, with slots (``{ort}``,
``{lpo}``, ``{ar}``, ``{n}`` …) that :mod:`benchmarks.synth` fills in.
Nothing here is a real agreement's wording.
"""

from __future__ import annotations

BAKGRUND = [
    "{kommun} och Polismyndigheten, genom {lpo}, har under många år arbetat tillsammans för att förebygga brott och öka tryggheten i {ort}.",
    "Samverkan bygger på att båda parter bidrar med sina kunskaper och sina uppdrag, och på att problem som ingen av parterna kan lösa ensam angrips gemensamt.",
    "Den här överenskommelsen ersätter den tidigare och bygger på erfarenheterna från de senaste årens arbete, där uppföljningen visat att samordnade insatser ger bättre resultat än insatser var för sig.",
    "Sedan lag (2023:196) om kommuners ansvar för brottsförebyggande arbete trädde i kraft den 1 juli 2023 har kommunen ett uttryckligt ansvar för att ta fram en lägesbild, besluta om en åtgärdsplan och ha en samordningsfunktion.",
    "Överenskommelsen är uppdelad i två delar: del 1 beskriver hur parterna samverkar och del 2 vilka områden som prioriteras och vilka metoder som används.",
    "Arbetet omfattar hela kommunen, både centralorten och de mindre orterna och landsbygden, där förutsättningarna för polisnärvaro och kommunal service ser olika ut.",
    "Civilsamhället, näringslivet och de boende är viktiga för att arbetet ska lyckas, och parterna ska ta vara på deras kunskap genom medborgardialoger och lokala nätverk.",
    "Brottsförebyggande arbete är en långsiktig uppgift: effekterna av insatser för barn och unga syns ofta först efter flera år, medan situationella åtgärder kan ge resultat redan samma säsong.",
]

SYFTE = [
    "Syftet med överenskommelsen är att minska brottsligheten och öka tryggheten i {ort} genom ett strukturerat och kunskapsbaserat samarbete mellan kommunen och polisen.",
    "Överenskommelsen ska tydliggöra vem som gör vad, hur parterna delar information med varandra och hur arbetet följs upp, så att resurserna används där de gör mest nytta.",
    "Samverkan ska utgå från en gemensam lägesbild och leda till konkreta aktiviteter som går att följa upp och som invånarna kan ta del av.",
]

OVERGRIPANDE_MAL = [
    "Det övergripande målet är att {ort} ska vara en trygg kommun att bo, arbeta och vistas i, där färre utsätts för brott och där fler känner sig trygga i sitt bostadsområde.",
    "Parterna ska gemensamt verka för att andelen invånare som uppger att de känner sig trygga när de går ut ensamma en sen kväll ökar under perioden.",
]

DELMAL = [
    "Antalet anmälda bostadsinbrott ska minska jämfört med föregående treårsperiod.",
    "Andelen invånare som känner sig otrygga i centrum kvällstid ska minska.",
    "Färre unga ska debutera i kriminalitet och narkotikabruk.",
    "Antalet anmälda skadegörelsebrott i offentlig miljö ska minska.",
    "Fler bostadsområden ska ha en aktiv grannsamverkan.",
    "Den gemensamma lägesbilden ska uppdateras minst en gång per tertial.",
    "Kännedomen om medborgarlöftet bland invånarna ska öka.",
    "Antalet trafikolyckor med personskada ska minska på det kommunala vägnätet.",
]

FORUM = [
    ("Styrgrupp", "Styrgruppen beslutar om inriktningen för samverkan, fastställer medborgarlöftet och tar ställning till uppföljningen.",
     ["kommundirektör", "lokalpolisområdeschef", "förvaltningschefer", "trygghetssamordnare"], "fyra gånger per år"),
    ("Ledningsgrupp", "Ledningsgruppen omsätter styrgruppens beslut i planering och prioriterar mellan insatser när läget förändras.",
     ["säkerhetschef", "kommunpolis", "gruppchef i lokalpolisområdet", "trygghetssamordnare"], "en gång per månad"),
    ("Arbetsgrupp EST", "Arbetsgruppen sammanställer veckans lägesbild för offentlig miljö och fördelar insatser mellan parterna och andra aktörer.",
     ["trygghetssamordnare", "kommunpolis", "fastighetsägare", "räddningstjänst", "fritidsgårdar"], "varje vecka"),
    ("Lokalt brottsförebyggande råd", "Rådet samlar kommunen, polisen och civilsamhället kring det långsiktiga brottsförebyggande arbetet och föreslår nya insatser.",
     ["förtroendevalda", "kommunpolis", "föreningar", "näringslivet", "trossamfund"], "två gånger per termin"),
    ("SSPF-grupp", "Gruppen arbetar med enskilda unga i riskzonen och deras vårdnadshavare, med samtycke, för att bryta en negativ utveckling.",
     ["skola", "socialtjänst", "polis", "fritid"], "varannan vecka"),
]

ROLLER = [
    ("Trygghetssamordnare", "kommunen", "Samordnar kommunens brottsförebyggande arbete, håller ihop lägesbilden och är polisens första kontakt i kommunen."),
    ("Kommunpolis", "polisen", "Är polisens kontaktperson för kommunen, deltar i samverkansforumen och ser till att polisens underrättelser når lägesbilden."),
    ("Säkerhetschef", "kommunen", "Ansvarar för kommunens säkerhetsarbete och är sammankallande i ledningsgruppen."),
    ("Kommunikatör", "tillsammans", "Planerar kommunikationen om medborgarlöftet och samordnar budskap i kommunens och polisens kanaler."),
    ("Områdespolis", "polisen", "Arbetar i kommunens bostadsområden, håller kontakt med boende och föreningar och deltar i trygghetsvandringar."),
    ("Analytiker", "kommunen", "Tar fram statistik och trygghetsmätningar till den gemensamma lägesbilden."),
]

LAGESBILD = [
    "Parterna tar fram en gemensam lägesbild som bygger på polisens anmälningsstatistik, kommunens egna underlag från skola, socialtjänst och fastighetsförvaltning, trygghetsmätningar och det som kommer fram i medborgardialoger.",
    "Lägesbilden sammanställs av trygghetssamordnaren och kommunpolisen och beskriver brottslighetens omfattning, var och när brotten begås, vilka som drabbas och vilka konsekvenser de får.",
    "Utifrån lägesbilden gör parterna en gemensam analys av orsaker, som ligger till grund för prioriteringarna i del 2 och för medborgarlöftet.",
    "Lägesbilden är också kommunens underlag enligt lag (2023:196) och redovisas för kommunstyrelsen en gång per år.",
]

KOMMUNIKATION = [
    "Parterna kommunicerar arbetet gemensamt och i varandras kanaler. Medborgarlöftet presenteras på kommunens webbplats, på polisen.se och i sociala medier.",
    "Inför större insatser, till exempel vid skolavslutning och valborg, går parterna ut med ett gemensamt budskap om vad som görs och vem man kan kontakta.",
    "Information som rör enskilda personer delas bara när sekretesslagstiftningen tillåter det.",
]

UPPFOLJNING = [
    "Överenskommelsen följs upp varje tertial i ledningsgruppen och en gång per år i styrgruppen, som då också tar ställning till om prioriteringarna ska ändras.",
    "Uppföljningen redovisar genomförda aktiviteter, utvecklingen av anmälda brott och resultaten från trygghetsmätningarna, och den publiceras så att invånarna kan ta del av den.",
]

KOMMUNENS_ANSVAR = {
    "lagesbild": "Kommunens lägesbild enligt lag (2023:196) beslutas av kommunstyrelsen och är en del av den gemensamma lägesbilden i denna överenskommelse.",
    "atgardsplan": "Kommunens åtgärdsplan för det brottsförebyggande arbetet bygger på samma prioriteringar som del 2 och antas av kommunfullmäktige.",
    "samordningsfunktion": "Kommunens samordningsfunktion finns på kommunledningskontoret och leds av trygghetssamordnaren.",
}

# Prioritised areas: id, title, methods, description, causes, cause bullets,
# goals, activities (text, ansvar, omfattning, frekvens).
AREAS = [
    {
        "id": "stold-och-tillgreppsbrott",
        "titel": "Stöld- och tillgreppsbrott",
        "metoder": ["grannsamverkan", "est"],
        "beskrivning": [
            "Antalet anmälda stöld- och tillgreppsbrott i {ort} var {n1} under {ar0}, vilket är {p1} procent fler än året innan.",
            "Ökningen gäller främst stölder ur och från fordon, cykelstölder och inbrott i förråd och källare i flerbostadshus.",
            "Bostadsinbrotten har minskat något i villaområdena, men ligger fortfarande över genomsnittet för jämförbara kommuner.",
            "Många av brotten begås under hösten och vintern, när det är mörkt tidigt, och i områden där få rör sig kvällstid.",
            "Brotten drabbar enskilda hårt, både ekonomiskt och genom att tryggheten i hemmet minskar.",
        ],
        "orsaker": [
            "Analysen visar att brotten ofta begås där det finns lättåtkomliga stöldbegärliga föremål och få som ser vad som händer.",
        ],
        "orsaker_punkter": [
            "dålig belysning och skymmande växtlighet kring parkeringar och förråd",
            "låg andel bostadsområden med aktiv grannsamverkan",
            "organiserade stöldligor som rör sig mellan kommunerna längs de större vägarna",
            "bristande kunskap hos boende om hur man skyddar sin egendom",
        ],
        "mal": [
            "Antalet anmälda stölder ur och från fordon ska minska med minst {p2} procent under perioden.",
            "Minst {n2} nya grannsamverkansområden ska starta under perioden.",
        ],
        "aktiviteter": [
            ("utbilda kontaktombud för grannsamverkan", "tillsammans", "minst {n3} nya kontaktombud", "två gånger per år"),
            ("se över belysning och växtlighet vid de platser där flest brott anmäls", "kommunen", None, "varje höst"),
            ("genomföra riktade kontroller mot fordon och personer som kan kopplas till stöldligor", "polisen", "minst {n4} kontroller", None),
            ("informera om stöldskydd vid bostadsmöten och i kommunens kanaler", "tillsammans", None, "tertialvis"),
            ("märka cyklar och båtmotorer vid särskilda märkdagar", "polisen", "minst {n5} märkdagar", None),
        ],
    },
    {
        "id": "trygga-ungdomar",
        "titel": "Trygga ungdomar",
        "metoder": ["sspf", "nattvandring"],
        "beskrivning": [
            "En mindre grupp unga i {ort} står för en stor del av de anmälda brotten i offentlig miljö, och polisen ser att gruppen blir yngre.",
            "Skolan och socialtjänsten rapporterar ökad frånvaro och fler orosanmälningar som rör narkotika och våld bland unga under {ar0}.",
            "Unga som rekryteras in i kriminella nätverk gör det ofta genom sociala medier, och de första uppdragen är små: att förvara, transportera eller hålla utkik.",
            "I trygghetsmätningen uppger många vuxna att de känner sig otrygga när grupper av unga samlas vid centrum och stationen kvällstid.",
        ],
        "orsaker": [
            "Riskfaktorerna finns på flera nivåer samtidigt: individ, familj, skola och kamrater, och de förstärker varandra.",
        ],
        "orsaker_punkter": [
            "skolfrånvaro och bristande måluppfyllelse",
            "få meningsfulla fritidsaktiviteter på kvällar och helger",
            "kamrater som redan begår brott",
            "vårdnadshavare som saknar stöd eller kunskap om riskerna",
        ],
        "mal": [
            "Alla unga som identifieras i SSPF ska ha en individuell plan inom fyra veckor.",
            "Andelen unga som uppger att de har använt narkotika ska minska i nästa drogvaneundersökning.",
        ],
        "aktiviteter": [
            ("arbeta enligt SSPF-modellen med unga i riskzonen och deras vårdnadshavare", "tillsammans", None, "varannan vecka"),
            ("hålla fritidsgårdarna öppna längre på fredagar och lördagar", "kommunen", None, "varje helg under terminerna"),
            ("genomföra orosbesök hos unga som misstänks för brott och deras vårdnadshavare", "polisen", None, "inom en vecka efter ett gripande"),
            ("stödja föreningar som nattvandrar", "kommunen", "minst {n3} nattvandringar", "per termin"),
            ("informera vårdnadshavare om rekrytering till kriminella nätverk på föräldramöten", "tillsammans", "alla skolor med årskurs 6–9", "en gång per läsår"),
            ("ha synlig polisnärvaro vid skolavslutningar och valborg", "polisen", None, "varje år"),
        ],
    },
    {
        "id": "trygghet-i-offentlig-miljo",
        "titel": "Trygghet i offentlig miljö",
        "metoder": ["est", "trygghetsvandring"],
        "beskrivning": [
            "I polisens trygghetsmätning {ar0} uppgav {p1} procent av de svarande i {ort} att de avstår från aktiviteter på grund av oro för brott.",
            "Otryggheten är störst kring resecentrum, i gångtunnlar och i parker som saknar belysning.",
            "Kvinnor och äldre uppger i högre grad än andra att de känner sig otrygga i offentlig miljö kvällstid.",
            "Nedskräpning, klotter och trasig belysning ger intrycket att ingen bryr sig om platsen, vilket i sig ökar otryggheten.",
        ],
        "orsaker": [
            "Otrygghet hänger delvis ihop med faktisk brottslighet, men också med hur den fysiska miljön ser ut och underhålls.",
        ],
        "orsaker_punkter": [
            "mörka och ensliga gångstråk",
            "ordningsstörningar vid vissa serveringsställen",
            "långsam åtgärd av skadegörelse och klotter",
        ],
        "mal": [
            "Andelen som känner sig otrygga kvällstid i centrum ska minska med {p2} procentenheter till nästa mätning.",
            "Klotter och skadegörelse på kommunens fastigheter ska åtgärdas inom 24 timmar.",
        ],
        "aktiviteter": [
            ("genomföra trygghetsvandringar med boende, fastighetsägare och föreningar", "tillsammans", "minst {n2} vandringar", "per år"),
            ("sammanställa en veckovis lägesbild enligt EST", "tillsammans", None, "varje vecka"),
            ("åtgärda de brister i belysning och miljö som trygghetsvandringarna visar", "kommunen", None, "inom tre månader"),
            ("genomföra tillsyn av serveringsställen tillsammans med kommunens tillståndsenhet", "tillsammans", "minst {n4} tillsyner", "per år"),
            ("patrullera till fots i centrum fredag och lördag kväll", "polisen", None, "varje helg"),
        ],
    },
    {
        "id": "narkotika",
        "titel": "Narkotika",
        "metoder": ["est", "sspf"],
        "beskrivning": [
            "Narkotikabrotten i {ort} har ökat de senaste åren, och polisen bedömer att det finns en öppen försäljning i anslutning till vissa skolor och parker.",
            "Tillgången på cannabis och narkotikaklassade läkemedel bland unga är större än tidigare, och handeln sker i hög grad via sociala medier.",
            "Narkotikahandeln är en inkomstkälla för kriminella nätverk och hänger ofta ihop med våld och hot.",
        ],
        "orsaker": [
            "En tillåtande attityd till cannabis bland unga och lätt tillgång via digitala kanaler driver efterfrågan.",
        ],
        "orsaker_punkter": [
            "lågt upplevd risk att upptäckas",
            "bristande kunskap hos vuxna om hur handeln går till",
        ],
        "mal": [
            "Antalet ingripanden mot narkotikabrott i offentlig miljö ska öka.",
            "Alla skolor ska ha en aktuell handlingsplan mot narkotika.",
        ],
        "aktiviteter": [
            ("genomföra riktade insatser mot narkotikaförsäljning i offentlig miljö", "polisen", "minst {n4} insatser", "per år"),
            ("utbilda skolpersonal i att upptäcka narkotikapåverkan", "kommunen", "all personal på högstadiet", None),
            ("erbjuda stödsamtal till unga som gripits för eget bruk", "kommunen", None, "inom två veckor"),
            ("informera vårdnadshavare om digital narkotikahandel", "tillsammans", None, "en gång per termin"),
        ],
    },
    {
        "id": "trafiksakerhet",
        "titel": "Trafiksäkerhet",
        "metoder": ["medborgardialog"],
        "beskrivning": [
            "Invånarna i {ort} tar i medborgardialogerna ofta upp hastigheter i bostadsområden och buskörning med mopeder och bilar som ett av de största problemen.",
            "Under {ar0} skadades {n1} personer i trafikolyckor på vägarna i kommunen.",
            "Störst oro finns kring skolor och förskolor vid lämning och hämtning.",
        ],
        "orsaker": [
            "Höga hastigheter beror ofta på vägens utformning och på att risken att upptäckas uppfattas som låg.",
        ],
        "orsaker_punkter": [],
        "mal": [
            "Antalet skadade i trafiken ska minska under perioden.",
            "Hastigheten vid skolor ska följa skyltningen, mätt med kommunens hastighetsmätare.",
        ],
        "aktiviteter": [
            ("genomföra trafikkontroller vid skolor och i bostadsområden", "polisen", "minst {n4} trafikkontroller", "per år"),
            ("mäta hastigheter på de gator invånarna pekar ut", "kommunen", None, "tertialvis"),
            ("bygga om farliga korsningar som lägesbilden visar", "kommunen", None, None),
            ("hålla en medborgardialog om trafiken i varje kommundel", "tillsammans", None, "en gång per år"),
        ],
    },
    {
        "id": "vald-i-nara-relationer",
        "titel": "Våld i nära relationer",
        "metoder": ["lokalt-bra"],
        "beskrivning": [
            "Antalet anmälda brott som rör våld i nära relationer i {ort} var {n1} under {ar0}, men mörkertalet bedöms vara stort.",
            "Barn som lever med våld i familjen är särskilt utsatta och behöver uppmärksammas tidigt av skola och socialtjänst.",
            "Våldet drabbar främst kvinnor, men också män, äldre och personer med funktionsnedsättning.",
        ],
        "orsaker": [
            "Våldet är ofta dolt, och den som är utsatt kan ha svårt att söka hjälp av rädsla eller beroende.",
        ],
        "orsaker_punkter": [
            "bristande kunskap om var man kan få stöd",
            "isolering och ekonomiskt beroende",
        ],
        "mal": [
            "Fler utsatta ska söka stöd hos kommunen eller polisen.",
            "All personal i socialtjänst, skola och äldreomsorg ska ha grundutbildning om våld i nära relationer.",
        ],
        "aktiviteter": [
            ("utbilda personal i att fråga om våld", "kommunen", "minst {n3} medarbetare", "per år"),
            ("ta kontakt med socialtjänsten efter varje anmälan där barn finns i hemmet", "polisen", None, "samma dag"),
            ("genomföra en gemensam informationskampanj under vecka 48", "tillsammans", None, "en gång per år"),
        ],
    },
    {
        "id": "bedragerier-mot-aldre",
        "titel": "Bedrägerier mot äldre",
        "metoder": ["medborgardialog"],
        "beskrivning": [
            "Bedrägerier via telefon och internet mot äldre har ökat kraftigt, och {n1} sådana brott anmäldes i {ort} under {ar0}.",
            "Bedragarna utger sig ofta för att vara från banken eller polisen och lurar den äldre att lämna ut koder eller värdesaker.",
            "Brotten leder inte bara till ekonomisk förlust utan också till skam och minskad tillit till andra.",
        ],
        "orsaker": [
            "Bedrägerierna är organiserade och anpassas snabbt efter nya tjänster, medan kunskapen om tillvägagångssätten sprids långsamt.",
        ],
        "orsaker_punkter": [],
        "mal": [
            "Alla som får hemtjänst ska ha fått information om de vanligaste bedrägerierna.",
        ],
        "aktiviteter": [
            ("informera om bedrägerier på pensionärsföreningarnas träffar", "tillsammans", "minst {n2} träffar", "per år"),
            ("dela ut informationsmaterial via hemtjänsten", "kommunen", None, "två gånger per år"),
            ("varna invånarna i sociala medier när en ny bedrägerivåg upptäcks", "polisen", None, "vid behov"),
        ],
    },
    {
        "id": "skadegorelse",
        "titel": "Skadegörelse och klotter",
        "metoder": ["est", "trygghetsvandring"],
        "beskrivning": [
            "Skadegörelsen på skolor, busskurer och kommunens lokaler kostade {ort} omkring {n6} kronor under {ar0}.",
            "Bränder i papperskorgar och containrar förekommer särskilt under sommarlovet och kring nyår.",
            "Skadegörelse som inte åtgärdas snabbt lockar till mer skadegörelse och ökar otryggheten i området.",
        ],
        "orsaker": [
            "Många av skadegörelsebrotten begås av unga i grupp på platser där få vuxna rör sig.",
        ],
        "orsaker_punkter": [
            "långa åtgärdstider",
            "få vuxna ute kvällstid under loven",
        ],
        "mal": [
            "Kostnaden för skadegörelse på kommunens egendom ska minska med {p2} procent.",
        ],
        "aktiviteter": [
            ("anmäla all skadegörelse på kommunens egendom", "kommunen", None, "samma dag"),
            ("följa upp anmälningarna i EST-gruppen och prioritera platser", "tillsammans", None, "varje vecka"),
            ("ha sommarlovsvärdar ute i de mest drabbade områdena", "kommunen", "minst {n2} värdar", "under sommarlovet"),
        ],
    },
]

ML_INLEDNING = [
    "Medborgarlöftet är ett löfte från {kommun} och polisen i {lpo} till dig som bor och vistas i {ort}.",
    "Löftet bygger på den gemensamma lägesbilden och på det invånarna har berättat i medborgardialoger och trygghetsmätningar.",
    "Under {period} lovar vi att särskilt arbeta med {omrade}, och vi berättar här vad vi ska göra och hur du kan följa arbetet.",
]

ML_LAGESBILD = [
    "I trygghetsmätningen uppger många invånare i {ort} att {omrade_lc} är det som oroar dem mest i närområdet.",
    "Polisens statistik visar att problemen är koncentrerade till ett fåtal platser och tider, vilket gör att insatserna kan riktas.",
    "I medborgardialogerna under {ar0} kom samma frågor upp i alla kommundelar.",
]

ML_MAL = [
    "Tillsammans vill vi att fler ska känna sig trygga i {ort}, och att färre ska utsättas för brott inom {omrade_lc}.",
    "Vi vill också att invånarna ska veta vad kommunen och polisen gör och hur man själv kan bidra.",
]

ML_GENOMFORANDE = [
    "Kommunen och polisen ska gemensamt planera och genomföra aktiviteterna nedan. Vissa gör vi tillsammans, andra gör var och en av oss inom sitt uppdrag.",
    "Vi bjuder in föreningar, fastighetsägare och näringslivet att delta, eftersom trygghet skapas av många.",
]

ML_UPPFOLJNING = [
    "Löftet följs upp varje tertial i ledningsgruppen. Resultatet redovisas på kommunens webbplats och på polisen.se.",
]

ML_FOLJ = [
    "Du kan följa arbetet på kommunens webbplats och på polisens sida för {lpo} på Facebook och Instagram.",
]

FIRST_NAMES = [
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Kerstin", "Ingrid", "Åsa", "Märta", "Ylva", "Sofie",
    "Erik", "Lars", "Johan", "Anders", "Per", "Mikael", "Björn", "Jörgen", "Åke", "Göran", "Mattias", "Linnéa",
]
LAST_NAMES = [
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson",
    "Gustafsson", "Lindström", "Åberg", "Öberg", "Hedström", "Sjöberg", "Björklund", "Strömberg", "Ängqvist",
]
