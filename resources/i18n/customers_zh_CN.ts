<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>CustomersPage</name>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="51" />
        <source>Search name, account no., USCC, contact or phone</source>
        <translation>搜索名称、户号、统一社会信用代码、联系人或电话</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="54" />
        <source>All classes</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="56" />
        <source>Class %1</source>
        <translation>%1 类</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="59" />
        <source>Risk only</source>
        <translation>仅风险客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="91" />
        <source>New customer</source>
        <translation>新建客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="95" />
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="118" />
        <source>All grids</source>
        <translation>全部网格</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="119" />
        <source>All parks</source>
        <translation>全部园区</translation>
    </message>
    <message numerus="yes">
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="158" />
        <source>%n customer(s)</source>
        <translation>
            <numerusform>%n 户客户</numerusform>
        </translation>
    </message>
</context>
</TS>