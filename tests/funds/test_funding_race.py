"""Two expenditures of an allocation's last yuan saved at once: the allocation's row is locked, so
the second waits for the first to commit and is refused with the balance; the balance never goes
below zero."""

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from funds.models_funding import Allocation, FundSource, FundType
from orgs.models import Area

from .funding_cast import A1, spend, this_year


@pytest.mark.django_db(transaction=True)
def test_of_two_spendings_of_the_last_yuan_one_wins_and_the_other_is_told(areas):
    allocation = Allocation.objects.create(
        area=Area.objects.get(code=A1),
        year=this_year(),
        fund_type=FundType.SERVICE,
        source=FundSource.CITY,
        amount=Decimal("100.00"),
    )
    first_saved, second_starts = threading.Event(), threading.Event()
    outcomes = {}

    def first():
        try:
            with transaction.atomic():
                spend(allocation, "100.00", purpose="第一笔")
                first_saved.set()
                second_starts.wait(5)
                time.sleep(0.3)  # the second is now waiting on the allocation's row
            outcomes["first"] = "saved"
        finally:
            connection.close()

    def second():
        try:
            first_saved.wait(5)
            second_starts.set()
            try:
                spend(allocation, "100.00", purpose="第二笔")
                outcomes["second"] = "saved"
            except ValidationError as error:
                outcomes["second"] = " ".join(error.messages)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)

    assert outcomes["first"] == "saved"
    assert "余额为 0.00 元" in outcomes["second"]
    assert list(allocation.expenditures.values_list("purpose", flat=True)) == ["第一笔"]
    assert allocation.balance == Decimal("0.00")
