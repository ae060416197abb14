"""The seal and the pasted addresses: pure, without the database."""

from assessment.invitations import sealing
from assessment.invitations.addresses import read_addresses


def test_a_seal_opens_only_with_its_secret_and_for_its_invitation():
    secret, other = sealing.new_secret(), sealing.new_secret()
    sealed = sealing.seal(secret, "the-response-token", bound_to="7")
    assert sealing.unseal(secret, sealed, bound_to="7") == "the-response-token"
    assert sealing.unseal(other, sealed, bound_to="7") is None
    assert sealing.unseal(secret, sealed, bound_to="8") is None
    assert sealing.unseal(secret, "not a seal", bound_to="7") is None


def test_the_same_token_sealed_twice_looks_different_and_holds_no_plain_text():
    secret = sealing.new_secret()
    first = sealing.seal(secret, "the-response-token", bound_to="7")
    second = sealing.seal(secret, "the-response-token", bound_to="7")
    assert first != second and "response" not in first


def test_the_hash_of_a_secret_is_not_the_secret_and_not_its_key():
    secret = sealing.new_secret()
    digest = sealing.secret_hash(secret)
    assert len(digest) == 64 and secret not in digest
    sealed = sealing.seal(secret, "token", bound_to="1")
    assert sealing.unseal(digest, sealed, bound_to="1") is None  # the database's copy opens nothing


def test_pasted_addresses_are_split_named_and_counted_once():
    text = (
        "Anna <Anna@School.nl>, bert@kdv.nl; bert@kdv.nl\nniet-een-adres\n\n  cor@bso.nl  \n"
        "old@x.nl"
    )
    read = read_addresses(text, already={"old@x.nl"})
    assert read.valid == ("anna@school.nl", "bert@kdv.nl", "cor@bso.nl")
    assert read.malformed == ("niet-een-adres",)
    assert read.duplicates == ("bert@kdv.nl", "old@x.nl")
