import factory
from allauth.account.models import EmailAddress

from accounts.models import CommunityGroup, GroupKind, MemberRole, Membership, User
from neighbourhoods.models import Borough, Neighbourhood, Stratum

PASSWORD = "Una-clave-de-prueba-2026"


class BoroughFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Borough
        django_get_or_create = ("inegi_code",)

    inegi_code = "007"
    iecm_number = "07"
    name = "Iztapalapa"
    official_name = "IZTAPALAPA"


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood

    borough = factory.SubFactory(BoroughFactory)
    key = factory.Sequence(lambda n: f"07-{n % 1000:03d}")
    official_name = factory.Sequence(lambda n: f"COLONIA PRUEBA {n}")
    name = factory.Sequence(lambda n: f"Colonia Prueba {n}")
    population = 1000
    stratum = Stratum.LOW


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persona{n}@ejemplo.mx")
    full_name = factory.Sequence(lambda n: f"Persona {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        obj.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        from accounts.services import role_grant

        for role in extracted or []:
            role_grant(user=obj, role=role)


class CommunityGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunityGroup
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Grupo vecinal {n}")
    kind = GroupKind.RESIDENTS
    neighbourhood = factory.SubFactory(NeighbourhoodFactory)

    @factory.post_generation
    def representative(obj, create, extracted, **kwargs):
        if create and extracted:
            Membership.objects.create(group=obj, user=extracted, role=MemberRole.REPRESENTATIVE)

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):
        for user in extracted or []:
            Membership.objects.create(group=obj, user=user, role=MemberRole.MEMBER)
