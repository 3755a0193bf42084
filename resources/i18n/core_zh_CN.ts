<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>CustomerPicker</name>
    <message>
        <location filename="../../keyacct_desktop/gui/widgets/customer_picker.py" line="39" />
        <source>Type a customer name, account no. or USCC</source>
        <translation>输入客户名称、户号或统一社会信用代码</translation>
    </message>
</context>
<context>
    <name>CustomerTableModel</name>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="40" />
        <source>Account no.</source>
        <extracomment>(header source text, sort key or None)</extracomment>
        <translation>户号</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="41" />
        <source>Customer name</source>
        <translation>客户名称</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="42" />
        <source>Class</source>
        <translation>分级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="43" />
        <source>Park</source>
        <translation>园区</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="44" />
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="45" />
        <source>Industry</source>
        <translation>行业</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="46" />
        <source>Voltage (kV)</source>
        <translation>电压(kV)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="47" />
        <source>Capacity (kVA)</source>
        <translation>容量(kVA)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="48" />
        <source>Annual consumption (MWh)</source>
        <translation>年用电量(MWh)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="49" />
        <source>Important grade</source>
        <translation>重要客户等级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/customer_table.py" line="50" />
        <source>Credit</source>
        <translation>信用</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../keyacct_desktop/gui/main_window.py" line="39" />
        <source>KeyAcct — Key Account Manager's Workbench</source>
        <translation>KeyAcct 大客户经理工作台</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/__init__.py" line="16" />
        <source>Home</source>
        <translation>首页</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/__init__.py" line="19" />
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/__init__.py" line="24" />
        <source>Visits</source>
        <translation>走访</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/__init__.py" line="29" />
        <source>Referrals</source>
        <translation>转办</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/__init__.py" line="34" />
        <source>Checklists</source>
        <translation>告知单</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/__init__.py" line="39" />
        <source>Supply plans</source>
        <translation>供电方案</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/__init__.py" line="44" />
        <source>Outage notices</source>
        <translation>停电通知</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/__init__.py" line="47" />
        <source>Sync</source>
        <translation>同步</translation>
    </message>
</context>
<context>
    <name>PrintPreviewDialog</name>
    <message numerus="yes">
        <location filename="../../keyacct_desktop/gui/print_preview.py" line="73" />
        <source>%n page(s)</source>
        <translation>
            <numerusform>共 %n 页</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/print_preview.py" line="75" />
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/print_preview.py" line="76" />
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/print_preview.py" line="95" />
        <source>Save as PDF</source>
        <translation>另存为 PDF</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/print_preview.py" line="95" />
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
</context>
<context>
    <name>Task</name>
    <message>
        <location filename="../../keyacct_desktop/gui/tasks.py" line="92" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
</TS>