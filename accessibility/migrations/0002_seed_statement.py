"""The statement as it stands for Suunta itself: partially compliant, with
the problems its developers know of today. An installation's superuser
reviews and changes it in Suunta (/accessibility/edit/)."""

from __future__ import annotations

import datetime

from django.db import migrations

PREPARED_ON = datetime.date(2026, 11, 29)

ASSESSMENT = {
    "fi": (
        "Saavutettavuuden ovat arvioineet palvelun kehittäjät. Jokainen sivu tarkistetaan automaattisesti "
        "axe-core-työkalulla (WCAG 2.1, tasot A ja AA) suomeksi ja ruotsiksi sekä puhelimen levyisellä näytöllä, "
        "ja sivuja testataan näppäimistöllä ja ilman JavaScriptiä. Ulkopuolista arviointia ei ole tehty."
    ),
    "sv": (
        "Tillgängligheten har bedömts av tjänstens utvecklare. Varje sida kontrolleras automatiskt med verktyget "
        "axe-core (WCAG 2.1, nivå A och AA) på finska och svenska och på en skärm med en telefons bredd, och sidorna "
        "testas med tangentbordet och utan JavaScript. Ingen extern granskning har gjorts."
    ),
    "en": (
        "Accessibility has been assessed by the service's developers. Every page is checked automatically with the "
        "axe-core tool (WCAG 2.1, levels A and AA) in Finnish and Swedish and at a phone's width, and the pages are "
        "tested with the keyboard and without JavaScript. No external audit has been made."
    ),
}

PROBLEMS = [
    {
        "title": {
            "fi": "Valtuustolle tehtävä vuosiraportti (PDF)",
            "sv": "Årsrapporten till fullmäktige (PDF)",
            "en": "The annual report to the council (PDF)",
        },
        "reason": {
            "fi": (
                "Raportti tehdään rakenteisena PDF-tiedostona PDF/UA-1-standardin mukaiseksi, mutta sen "
                "vaatimustenmukaisuutta ei ole tarkistettu ulkopuolisella PDF/UA-validaattorilla eikä ruudunlukijoilla."
            ),
            "sv": (
                "Rapporten skapas som en taggad PDF-fil enligt standarden PDF/UA-1, men dess överensstämmelse har inte "
                "kontrollerats med en extern PDF/UA-validerare eller med skärmläsare."
            ),
            "en": (
                "The report is produced as a tagged PDF aiming at the PDF/UA-1 standard, but its conformance has not "
                "been checked with an external PDF/UA validator or with screen readers."
            ),
        },
        "workaround": {
            "fi": "Raportin sisältö on myös palvelun sivuilla. Voit pyytää raporttia toisessa muodossa palautelomakkeella.",
            "sv": "Rapportens innehåll finns också på tjänstens sidor. Du kan be om rapporten i ett annat format med responsformuläret.",
            "en": "The report's content is also on the service's pages. You can ask for the report in another format with the feedback form.",
        },
    },
    {
        "title": {
            "fi": "Mittareiden kaaviot PDF-raportissa",
            "sv": "Indikatorernas diagram i PDF-rapporten",
            "en": "Indicator charts in the PDF report",
        },
        "reason": {
            "fi": "Jokaisella kaaviolla on tekstivastine, mutta PDF-raportissa ei ole kaavion lukuja taulukkona.",
            "sv": "Varje diagram har en textmotsvarighet, men PDF-rapporten har inte diagrammets siffror i en tabell.",
            "en": "Each chart has a text alternative, but the PDF report does not give the chart's figures in a data table.",
        },
        "workaround": {
            "fi": "Luvut ovat taulukkona mittarin sivulla palvelussa.",
            "sv": "Siffrorna finns i en tabell på indikatorns sida i tjänsten.",
            "en": "The figures are in a table on the indicator's page in the service.",
        },
    },
    {
        "title": {
            "fi": "Vain yhdellä kielellä kirjoitettu sisältö",
            "sv": "Innehåll som skrivits på ett enda språk",
            "en": "Content written in one language only",
        },
        "reason": {
            "fi": (
                "Strategiat, toimintasuunnitelmat ja mittarit kirjoittavat organisaatiot itse. Kääntämätön teksti "
                "näytetään sillä kielellä, jolla se on kirjoitettu, myös muunkielisillä sivuilla."
            ),
            "sv": (
                "Strategier, verksamhetsplaner och indikatorer skrivs av organisationerna själva. Text som inte har "
                "översatts visas på det språk den skrevs på, också på sidorna på andra språk."
            ),
            "en": (
                "Strategies, action plans and indicators are written by the organisations themselves. Text that has "
                "not been translated is shown in the language it was written in, on the pages in other languages too."
            ),
        },
        "workaround": {
            "fi": "Voit pyytää käännöstä sisällön kirjoittaneelta organisaatiolta.",
            "sv": "Du kan be organisationen som skrev innehållet om en översättning.",
            "en": "You can ask the organisation that wrote the content for a translation.",
        },
    },
]


def seed(apps, schema_editor) -> None:
    Statement = apps.get_model("accessibility", "Statement")
    KnownProblem = apps.get_model("accessibility", "KnownProblem")
    Statement.objects.update_or_create(
        pk=1,
        defaults={
            "compliance": "partial",
            "prepared_on": PREPARED_ON,
            "reviewed_on": PREPARED_ON,
            "assessment": ASSESSMENT["fi"],
            **{f"assessment_{language}": text for language, text in ASSESSMENT.items()},
        },
    )
    if KnownProblem.objects.exists():
        return
    for order, problem in enumerate(PROBLEMS, start=1):
        fields = {"order": order}
        for name in ("title", "reason", "workaround"):
            fields[name] = problem[name]["fi"]
            fields.update({f"{name}_{language}": text for language, text in problem[name].items()})
        KnownProblem.objects.create(**fields)


class Migration(migrations.Migration):
    dependencies = [("accessibility", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
