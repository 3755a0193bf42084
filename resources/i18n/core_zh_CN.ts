<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>ChecklistsPage</name>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/records.py" line="39" />
        <source>One-shot notification checklists</source>
        <translation>一次性告知书</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/records.py" line="40" />
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/records.py" line="40" />
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/records.py" line="40" />
        <source>Business</source>
        <translation>业务类型</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/records.py" line="40" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>CustomerTableModel</name>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="39" />
        <source>Account no.</source>
        <extracomment>(header source text, sort key or None)</extracomment>
        <translation>户号</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="40" />
        <source>Customer name</source>
        <translation>客户名称</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="41" />
        <source>Class</source>
        <translation>分级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="42" />
        <source>Park</source>
        <translation>园区</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="43" />
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="44" />
        <source>Industry</source>
        <translation>行业</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="45" />
        <source>Voltage (kV)</source>
        <translation>电压(kV)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="46" />
        <source>Capacity (kVA)</source>
        <translation>容量(kVA)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="47" />
        <source>Annual consumption (MWh)</source>
        <translation>年用电量(MWh)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="48" />
        <source>Important grade</source>
        <translation>重要客户等级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="49" />
        <source>Credit</source>
        <translation>信用</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="32" />
        <source>Customers</source>
        <translation>客户总数</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="33" />
        <source>Class A customers</source>
        <translation>A 类客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="34" />
        <source>Class B customers</source>
        <translation>B 类客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="35" />
        <source>Visits in the last 30 days</source>
        <translation>近 30 天走访</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="36" />
        <source>Open referrals</source>
        <translation>未办结转办</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="37" />
        <source>Overdue referrals</source>
        <translation>超期转办</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/home.py" line="42" />
        <source>Overview</source>
        <translation>工作概览</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../keyacct_desktop/gui/main_window.py" line="37" />
        <source>KeyAcct — Key Account Manager's Workbench</source>
        <translation>KeyAcct 大客户经理工作台</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/main_window.py" line="63" />
        <source>Offline — no server configured</source>
        <translation>离线 — 未配置同步服务器</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/__init__.py" line="16" />
        <source>Home</source>
        <translation>首页</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/__init__.py" line="17" />
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/__init__.py" line="18" />
        <source>Visits</source>
        <translation>走访</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/__init__.py" line="19" />
        <source>Checklists</source>
        <translation>告知单</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/__init__.py" line="20" />
        <source>Supply plans</source>
        <translation>供电方案</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/__init__.py" line="21" />
        <source>Outage notices</source>
        <translation>停电通知</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/__init__.py" line="22" />
        <source>Sync</source>
        <translation>同步</translation>
    </message>
</context>
<context>
    <name>OutagesPage</name>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/records.py" line="73" />
        <source>Outage notices</source>
        <translation>停电通知</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/records.py" line="74" />
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/records.py" line="74" />
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/records.py" line="74" />
        <source>Start</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/records.py" line="74" />
        <source>Area</source>
        <translation>停电范围</translation>
    </message>
</context>
<context>
    <name>SupplyPlansPage</name>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/records.py" line="56" />
        <source>Supply plan handouts</source>
        <translation>供电方案答复单</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/records.py" line="57" />
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/records.py" line="57" />
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/records.py" line="57" />
        <source>Valid until</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/records.py" line="57" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/records.py" line="90" />
        <source>Changes waiting for upload</source>
        <translation>待上传的修改</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/records.py" line="91" />
        <source>Table</source>
        <translation>数据表</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/records.py" line="91" />
        <source>Changes</source>
        <translation>修改数</translation>
    </message>
</context>
<context>
    <name>Task</name>
    <message>
        <location filename="../../keyacct_desktop/gui/tasks.py" line="88" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
</TS>