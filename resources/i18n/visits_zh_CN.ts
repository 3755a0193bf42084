<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>VisitsPage</name>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="30" />
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="31" />
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="32" />
        <source>Purpose</source>
        <translation>走访目的</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="33" />
        <source>Reliability</source>
        <translation>供电可靠性</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="34" />
        <source>Billing</source>
        <translation>电费与业务办理</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="35" />
        <source>Service</source>
        <translation>服务质量</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/visits.py" line="44" />
        <source>Recent visits</source>
        <translation>最近走访</translation>
    </message>
</context>
</TS>