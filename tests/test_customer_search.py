"""Customer search over a real FTS5 trigram index: Chinese substrings, contacts and phones,
short queries, index kept current by triggers; the lazy list model over 100,000 customers."""

from __future__ import annotations

import random
import uuid

from sqlalchemy import insert

from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery
from keyacct_desktop.store.models import Contact, Customer


def ids(directory: CustomerDirectory, text: str) -> set[uuid.UUID]:
    return set(directory.find_ids(CustomerQuery(text=text)))


def test_search_finds_substrings_of_names_contacts_phones_and_codes(store) -> None:
    a = Customer(account_no="3107000012", name="东方冷链物流有限公司", uscc="91350100M000100Y43")
    a.contacts.append(Contact(name="欧阳明轩", mobile="13912345678", landline="0571-88886666"))
    b = Customer(account_no="3107000013", name="江南精细化工有限公司")
    with store.begin() as session:
        session.add_all([a, b])
    directory = CustomerDirectory(store)
    assert ids(directory, "冷链物流") == {a.id}  # 3+ characters: the index
    assert ids(directory, "有限公司") == {a.id, b.id}
    assert ids(directory, "冷链") == {a.id}  # 1–2 characters: a scan of the index table
    assert ids(directory, "化") == {b.id}
    assert ids(directory, "阳明轩") == {a.id}  # a contact's name
    assert ids(directory, "88886666") == {a.id}  # a landline
    assert ids(directory, "3456") == {a.id}  # part of a mobile
    assert ids(directory, "m000100y") == {a.id}  # USCC, any case
    assert ids(directory, "7000013") == {b.id}  # account no.
    assert ids(directory, '公司" OR "x') == set()  # FTS syntax in the text is just text
    assert ids(directory, "100%") == set()

    with store.begin() as session:  # triggers keep the index current
        session.get(Customer, b.id).name = "江南新材料科技有限公司"
        session.get(Customer, a.id).contacts[0].name = "司马相如"
    assert ids(directory, "新材料") == {b.id} and ids(directory, "精细化工") == set()
    assert ids(directory, "司马相") == {a.id} and ids(directory, "欧阳") == set()
    with store.begin() as session:
        session.delete(session.get(Customer, a.id))
    assert ids(directory, "有限公司") == {b.id}


def test_the_lazy_list_model_over_10k_customers(
    store, keyacct_qapp, qtmodeltester, monkeypatch
) -> None:
    """The search's thresholds scaled down 10× with the list, so every plan of a dense search
    runs as at 100k customers (timed at that size in tests/benchmarks/bench_search.py)."""
    from keyacct_desktop.gui.customer_table import CustomerTableModel
    from keyacct_desktop.services import customers

    scaled = {"COUNT_CAP": 1000, "FEW_HITS": 100, "DENSE_WALK": 400, "MERGE_WALK": 1000}
    for name, value in scaled.items():
        monkeypatch.setattr(customers, name, value)
    rng = random.Random(5)
    trades = ["精密机械", "化工", "冷链物流", "数据中心", "光伏", "纺织", "医药", "电子"]
    rows = [
        {
            "id": uuid.uuid4(),
            "account_no": f"{3100000000 + n}",
            "name": f"{rng.choice(['东方', '江南', '鼎新', '华瑞'])}{rng.choice(trades)}{n}号有限公司",
            "pool_status": "pooled",
            "status": "active",
            "overdue_count": 0,
            "overdue_days_max": 0,
            "violation_count": 0,
            "high_energy": False,
            "operating_trouble": False,
            "version": 0,
        }
        for n in range(10_000)
    ]
    with store.begin() as session:
        session.execute(insert(Customer), rows)
    directory = CustomerDirectory(store)
    assert directory.count() == 10_000
    assert len(ids(directory, "冷链物流")) > customers.COUNT_CAP
    assert ids(directory, "7777号") == {rows[7777]["id"]}
    model = CustomerTableModel(directory)
    model.set_query(CustomerQuery())
    assert model.rowCount() == 10_000
    model.set_query(CustomerQuery(text="冷链物流12"))  # the tester walks every row: a subset
    qtmodeltester.check(model, force_py=True)
    model.set_query(CustomerQuery(text="华瑞光伏9999"))
    qtmodeltester.check(model, force_py=True)
