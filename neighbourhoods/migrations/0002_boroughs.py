from django.db import migrations

# The 16 alcaldías: INEGI code, IECM number, proper name, catalogue spelling.
BOROUGHS = [
    ("002", "02", "Azcapotzalco", "AZCAPOTZALCO"), ("003", "03", "Coyoacán", "COYOACAN"),
    ("004", "04", "Cuajimalpa de Morelos", "CUAJIMALPA DE MORELOS"), ("005", "05", "Gustavo A. Madero", "GUSTAVO A. MADERO"),
    ("006", "06", "Iztacalco", "IZTACALCO"), ("007", "07", "Iztapalapa", "IZTAPALAPA"),
    ("008", "08", "La Magdalena Contreras", "LA MAGDALENA CONTRERAS"), ("009", "09", "Milpa Alta", "MILPA ALTA"),
    ("010", "10", "Álvaro Obregón", "ALVARO OBREGON"), ("011", "11", "Tláhuac", "TLAHUAC"),
    ("012", "12", "Tlalpan", "TLALPAN"), ("013", "13", "Xochimilco", "XOCHIMILCO"),
    ("014", "14", "Benito Juárez", "BENITO JUAREZ"), ("015", "15", "Cuauhtémoc", "CUAUHTEMOC"),
    ("016", "16", "Miguel Hidalgo", "MIGUEL HIDALGO"), ("017", "17", "Venustiano Carranza", "VENUSTIANO CARRANZA"),
]


def create_boroughs(apps, schema_editor):
    Borough = apps.get_model("neighbourhoods", "Borough")
    for code, iecm, name, official in BOROUGHS:
        Borough.objects.get_or_create(inegi_code=code, defaults={"iecm_number": iecm, "name": name,
                                                                 "official_name": official})


class Migration(migrations.Migration):
    dependencies = [("neighbourhoods", "0001_initial")]
    operations = [migrations.RunPython(create_boroughs, migrations.RunPython.noop)]
