<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>CustomersPage</name>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="78" />
        <source>Search name, account no., USCC, contact or phone</source>
        <extracomment>"Quality score below N" choices of the data-quality filter.</extracomment>
        <translation>搜索名称、户号、统一社会信用代码、联系人或电话</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="81" />
        <source>All classes</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="83" />
        <source>Class %1</source>
        <translation>%1 类</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="88" />
        <source>All voltages</source>
        <translation>全部电压等级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="93" />
        <source>All data quality</source>
        <translation>全部数据质量</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="96" />
        <source>Quality score below %1</source>
        <translation>质量评分低于 %1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="101" />
        <source>Problem: %1</source>
        <translation>问题：%1</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="103" />
        <source>Risk only</source>
        <translation>仅风险客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="138" />
        <source>New customer</source>
        <translation>新建客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="142" />
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="145" />
        <source>Recompute classes</source>
        <translation>重新分级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="147" />
        <source>Set class…</source>
        <translation>调整分级…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="149" />
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="151" />
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="153" />
        <source>Data quality…</source>
        <translation>资料质量…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="155" />
        <source>Balance grids…</source>
        <translation>网格均衡…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="193" />
        <source>All grids</source>
        <translation>全部网格</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="194" />
        <source>All parks</source>
        <translation>全部园区</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="216" />
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="229" />
        <source>Pyramid classes</source>
        <translation>客户分级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="217" />
        <source>%1 customers classified, %2 changed.</source>
        <translation>已对 %1 户客户分级,其中 %2 户类别有变化。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="229" />
        <source>Select a customer first.</source>
        <translation>请先选择客户。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="235" />
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="240" />
        <source>Set class</source>
        <translation>调整分级</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="235" />
        <source>Class:</source>
        <translation>类别:</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="240" />
        <source>Reason:</source>
        <translation>调整原因:</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="271" />
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="291" />
        <source>Import customers</source>
        <translation>导入客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="271" />
        <source>Spreadsheets (*.xlsx *.csv)</source>
        <translation>表格文件 (*.xlsx *.csv)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="281" />
        <source>Checking %1…</source>
        <translation>正在检查 %1…</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="294" />
        <source>%1: %2 row(s), %3 valid, %4 with problems.</source>
        <translation>%1:共 %2 行,%3 行有效,%4 行有问题。</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="303" />
        <source>Import valid rows</source>
        <translation>只导入有效行</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="303" />
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="306" />
        <source>Import nothing</source>
        <translation>全部不导入</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="322" />
        <source>Export customers</source>
        <translation>导出客户</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="322" />
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="392" />
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="406" />
        <source>Assessing data quality…</source>
        <translation>正在评估数据质量…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../keyacct_desktop/gui/pages/customers.py" line="414" />
        <source>%n customer(s)</source>
        <translation>
            <numerusform>%n 户客户</numerusform>
        </translation>
    </message>
</context>
</TS>