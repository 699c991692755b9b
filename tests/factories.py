"""Factories for the people and organizations tests need; projects go through services."""

import factory

from cobench.tenancy.models import Organization, OrganizationMembership, User

PASSWORD = "correct horse battery staple"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organization {n}")
    time_zone = "UTC"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.LazyAttribute(lambda u: u.username.capitalize())
    last_name = "Tester"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def organization(self, create, extracted, **kwargs):
        if create and extracted:
            OrganizationMembership.objects.get_or_create(organization=extracted, user=self)
        if create:
            self.save()
